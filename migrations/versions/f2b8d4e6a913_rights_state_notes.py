"""rights: state notes per topic, sources_changed_on; resource city

Revision ID: f2b8d4e6a913
Revises: f5b2c8e1a9d3
Create Date: 2026-11-30 00:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2b8d4e6a913'
down_revision = 'f5b2c8e1a9d3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rights_state_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=2), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('draft', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['topic_id'], ['rights_topic.id'], name=op.f('fk_rights_state_note_topic_id_rights_topic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rights_state_note')),
    sa.UniqueConstraint('topic_id', 'region', 'locale', name=op.f('uq_rights_state_note_topic_id_region_locale'))
    )
    with op.batch_alter_table('rights_state_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rights_state_note_topic_id'), ['topic_id'], unique=False)

    with op.batch_alter_table('rights_topic', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sources_changed_on', sa.Date(), nullable=True))

    with op.batch_alter_table('resource', schema=None) as batch_op:
        batch_op.add_column(sa.Column('city', sa.String(length=100), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('resource', schema=None) as batch_op:
        batch_op.drop_column('city')

    with op.batch_alter_table('rights_topic', schema=None) as batch_op:
        batch_op.drop_column('sources_changed_on')

    with op.batch_alter_table('rights_state_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rights_state_note_topic_id'))

    op.drop_table('rights_state_note')
