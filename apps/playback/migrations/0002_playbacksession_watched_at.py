from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("playback", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="playbacksession",
            name="watched_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
