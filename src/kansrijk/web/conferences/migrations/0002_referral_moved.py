"""A decision's referral now points at ``referrals.Referral`` (the model moved to the referrals
app; migration care 0014). State only: the column and its foreign key to ``care_referral`` stay
as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0001_initial"),
        ("referrals", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="conferencedecision",
                    name="referral",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="decisions",
                        to="referrals.referral",
                        verbose_name="referral",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
