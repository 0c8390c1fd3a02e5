"""Emergency access with guardrails: a reason category and the regional basis of each access."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("care", "0010_audit_protection")]

    operations = [
        migrations.AddField(
            model_name="emergencyaccess",
            name="reason_category",
            field=models.CharField(
                choices=[
                    ("acute_medical", "Acute medical situation"),
                    ("child_safety", "Safety of the (unborn) child"),
                    ("team_unreachable", "Client's own care team unreachable"),
                    ("other", "Other urgent reason"),
                ],
                default="other",
                max_length=32,
                verbose_name="reason category",
            ),
        ),
        migrations.AddField(
            model_name="emergencyaccess",
            name="basis",
            field=models.CharField(
                blank=True,
                choices=[
                    ("municipality", "Same municipality"),
                    ("coalition", "Same coalition"),
                    ("corop", "Same COROP region"),
                ],
                max_length=16,
                verbose_name="regional basis",
            ),
        ),
    ]
