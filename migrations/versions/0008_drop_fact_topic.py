"""drop facts.topic, which nothing read

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 15:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('facts') as batch:
        batch.drop_column('topic')


def downgrade():
    # Rows keep an empty topic: the seeds no longer carry one.
    with op.batch_alter_table('facts') as batch:
        batch.add_column(
            sa.Column('topic', sa.String(length=20), nullable=False, server_default='')
        )
