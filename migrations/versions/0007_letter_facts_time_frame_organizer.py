"""letter facts, time frame, organizer, localized periods

Revision ID: 0007
Revises: 0003
Create Date: 2026-12-01 10:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    # Defaults so rows seeded before this revision stay valid until the next `flask seed`.
    with op.batch_alter_table('campaigns') as batch:
        batch.add_column(sa.Column('letter_facts', sa.JSON(), nullable=False, server_default='{}'))
        batch.add_column(sa.Column('time_frame', sa.JSON(), nullable=False, server_default='{}'))
        batch.add_column(sa.Column('organizer', sa.JSON(), nullable=False, server_default='{}'))
    with op.batch_alter_table('articles') as batch:
        batch.add_column(
            sa.Column('period_translations', sa.JSON(), nullable=False, server_default='{}')
        )
    with op.batch_alter_table('facts') as batch:
        batch.add_column(
            sa.Column('as_of_translations', sa.JSON(), nullable=False, server_default='{}')
        )


def downgrade():
    with op.batch_alter_table('facts') as batch:
        batch.drop_column('as_of_translations')
    with op.batch_alter_table('articles') as batch:
        batch.drop_column('period_translations')
    with op.batch_alter_table('campaigns') as batch:
        batch.drop_column('organizer')
        batch.drop_column('time_frame')
        batch.drop_column('letter_facts')
