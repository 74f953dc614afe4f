import sqlalchemy as sa

from organize import organizers
from organize.extensions import db
from organize.models import Employer, Organizer, Review, RightsTopic


def test_create_organizer_reads_password_from_stdin(runner):
    result = runner.invoke(
        args=["create-organizer", "Admin@Example.org", "--role", "admin"],
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code == 0, result.output
    organizer = db.session.scalar(sa.select(Organizer))
    assert organizer.email == "admin@example.org"
    assert organizer.role == "admin"
    assert organizer.password_hash.startswith("$argon2")
    assert organizers.authenticate(email="admin@example.org", password="a long enough password")


def test_create_organizer_refuses_short_password_and_duplicates(runner):
    result = runner.invoke(args=["create-organizer", "a@b.org"], input="short\nshort\n")
    assert result.exit_code != 0
    assert "at least" in result.output
    ok = "a long enough password\n" * 2
    assert runner.invoke(args=["create-organizer", "a@b.org"], input=ok).exit_code == 0
    again = runner.invoke(args=["create-organizer", "A@B.org"], input=ok)
    assert again.exit_code != 0
    assert "exists" in again.output


def test_seed_demo_creates_a_living_site_once(runner):
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "demo@organize.test" in result.output
    employers = db.session.scalar(sa.select(sa.func.count()).select_from(Employer))
    topics = db.session.scalar(sa.select(sa.func.count()).select_from(RightsTopic))
    reviews = db.session.scalar(sa.select(sa.func.count()).select_from(Review))
    assert employers >= 8
    assert topics >= 10
    assert reviews >= 12
    approved = db.session.scalar(
        sa.select(sa.func.count()).select_from(Review).where(Review.status == "approved")
    )
    assert approved >= 3
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "not seeding" in again.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Employer)) == employers


def test_translate_compile_runs(runner):
    result = runner.invoke(args=["translate", "compile"])
    assert result.exit_code == 0, result.output
