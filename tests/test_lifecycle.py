"""The module installs on a new database, upgrades twice in a row and uninstalls
cleanly, with no WARNING or ERROR in any of the logs."""

from conftest import MODULE

STATE_SCRIPT = (
    """
module = env["ir.module.module"].search([("name", "=", "%s")])
print("STATE=" + module.state)
models = env["ir.model"].search([("model", "=like", "crm.order%%")])
print("MODELS=" + ",".join(sorted(models.mapped("model"))))
env.cr.execute(
    "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'crm_order%%'"
)
print("TABLES=%%d" %% env.cr.fetchone()[0])
"""
    % MODULE
)

UNINSTALL_SCRIPT = (
    """
env["ir.module.module"].search([("name", "=", "%s")]).button_immediate_uninstall()
env.cr.commit()
"""
    % MODULE
)


def shell_values(odoo_process, db, script):
    proc = odoo_process.run("shell", "-d", db, "--no-http", stdin=script)
    assert proc.returncode == 0, proc.stderr
    return dict(line.split("=", 1) for line in proc.stdout.splitlines() if "=" in line)


def test_install_upgrade_twice_uninstall(odoo_process, scratch_db):
    proc = odoo_process.run(
        "server", "-d", scratch_db, "-i", MODULE, "--stop-after-init", "--no-http"
    )
    assert proc.returncode == 0, proc.stderr
    state = shell_values(odoo_process, scratch_db, STATE_SCRIPT)
    assert state["STATE"] == "installed"
    assert "crm.order" in state["MODELS"].split(",")

    for _ in range(2):
        proc = odoo_process.run(
            "server", "-d", scratch_db, "-u", MODULE, "--stop-after-init", "--no-http"
        )
        assert proc.returncode == 0, proc.stderr
        assert (
            shell_values(odoo_process, scratch_db, STATE_SCRIPT)["STATE"] == "installed"
        )

    shell_values(odoo_process, scratch_db, UNINSTALL_SCRIPT)
    state = shell_values(odoo_process, scratch_db, STATE_SCRIPT)
    assert state == {"STATE": "uninstalled", "MODELS": "", "TABLES": "0"}

    assert odoo_process.log_problems() == []
