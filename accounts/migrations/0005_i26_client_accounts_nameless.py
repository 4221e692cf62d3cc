"""#26: a portal account names its client nowhere in clear. The names an invitation copied
onto client accounts are cleared (the name lives, encrypted, on the client record), and the
username becomes the keyed digest login checks (accounts.models.portal_login_name), in
axes' attempt tables too. The client logs in with the same name as before."""

from django.db import migrations

from accounts.models import LOGIN_NAME_PREFIX, portal_login_name

AXES = ("AccessAttempt", "AccessLog", "AccessFailureLog")


def forget_clear_names(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(role="client").exclude(first_name="", last_name="").update(
        first_name="", last_name=""
    )
    clients = User.objects.filter(role="client").exclude(
        username__startswith=LOGIN_NAME_PREFIX
    )
    for user in clients.exclude(username__startswith="vernietigd-"):
        digest = portal_login_name(user.username)
        for name in AXES:
            apps.get_model("axes", name).objects.filter(username=user.username).update(
                username=digest
            )
        user.username = digest
        user.save(update_fields=["username"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_i26_email_encrypted"),
        ("axes", "0010_accessattemptexpiration"),
    ]
    operations = [migrations.RunPython(forget_clear_names, migrations.RunPython.noop)]
