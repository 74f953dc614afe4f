"""rights editor: topics can be unpublished; each translation records who reviewed it and when

Issue 11: organizers create topics in the console (unpublished until ready) and mark each
language reviewed by a named role or organization on a date they enter.

Revision ID: f5e2a9c4d801
Revises: e0350ccadcfe
Create Date: 2026-11-30 00:45:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'f5e2a9c4d801'
down_revision = 'e0350ccadcfe'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rights_topic', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('published', sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    with op.batch_alter_table('rights_translation', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('reviewed_by', sa.String(length=200), server_default='', nullable=False)
        )
        batch_op.add_column(sa.Column('reviewed_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('rights_translation', schema=None) as batch_op:
        batch_op.drop_column('reviewed_on')
        batch_op.drop_column('reviewed_by')
    with op.batch_alter_table('rights_topic', schema=None) as batch_op:
        batch_op.drop_column('published')
