from organize import create_app
app = create_app()
