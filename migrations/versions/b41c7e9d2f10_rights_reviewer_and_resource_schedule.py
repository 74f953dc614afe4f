"""rights topics record who reviewed them; resources carry opening hours as data and their page

Issue 11: a topic's "last reviewed" names its reviewer (a role or organization, entered by a
person); a resource's hours are data rendered per locale, not an English string.

Revision ID: b41c7e9d2f10
Revises: a1904315a799
Create Date: 2026-11-29 22:45:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'b41c7e9d2f10'
down_revision = 'a1904315a799'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rights_topic', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('reviewed_by', sa.String(length=200), server_default='', nullable=False)
        )
    with op.batch_alter_table('resource', schema=None) as batch_op:
        batch_op.add_column(sa.Column('schedule', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(
            sa.Column('url', sa.String(length=300), server_default='', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('resource', schema=None) as batch_op:
        batch_op.drop_column('url')
        batch_op.drop_column('schedule')
    with op.batch_alter_table('rights_topic', schema=None) as batch_op:
        batch_op.drop_column('reviewed_by')
