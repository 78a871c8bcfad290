"""A JupyterHub for the course: nbgrader's exchange and the students' lab.

The smallest hub that hands out and takes back chapters: one machine, a shared
password, every user's JupyterLab started as a local process. For a term, keep
the spawner's environment below and swap the authenticator (your
institution's login) and the spawner (one OS user or container per student);
book/instructors.md, "On JupyterHub". tests/test_hub.py starts this very file.

Set by environment variables (defaults in brackets):
  NNCOURSE_HUB_DIR        the hub's database, cookie secret, proxy pid file and
                          the users' home folders, homes/USER [the current folder]
  NNCOURSE_HUB_URL        where users reach the hub [http://127.0.0.1:8000]
  NNCOURSE_HUB_API_URL    the hub's own API, for the proxy and servers
                          [http://127.0.0.1:8081]
  NNCOURSE_PROXY_API_URL  the proxy's API [http://127.0.0.1:8001]
  NNCOURSE_PROXY          the configurable-http-proxy command [from PATH]
  NNCOURSE_HUB_USERS      who may log in, comma-separated
  NNCOURSE_HUB_PASSWORD   their shared password (8 characters or more)
  NNCOURSE_EXCHANGE       nbgrader's exchange (read by nbgrader_config.py)
"""

import os
import sys
from pathlib import Path

c = get_config()  # traitlets injects get_config

here = Path(__file__).resolve().parent
state = Path(os.environ.get("NNCOURSE_HUB_DIR", os.getcwd()))

c.JupyterHub.bind_url = os.environ.get("NNCOURSE_HUB_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_bind_url = os.environ.get(
    "NNCOURSE_HUB_API_URL", "http://127.0.0.1:8081"
)
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.api_url = os.environ.get(
    "NNCOURSE_PROXY_API_URL", "http://127.0.0.1:8001"
)
c.ConfigurableHTTPProxy.command = [
    os.environ.get("NNCOURSE_PROXY", "configurable-http-proxy")
]
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")

# Who logs in: a shared password (replace with your institution's login).
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ.get("NNCOURSE_HUB_PASSWORD")
c.Authenticator.allowed_users = {
    name.strip()
    for name in os.environ.get("NNCOURSE_HUB_USERS", "").split(",")
    if name.strip()
}

# Each user's JupyterLab: a local process in homes/USER, as the hub's OS user
# (replace with a spawner that separates users).
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = str(state / "homes" / "{username}")
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
c.Spawner.default_url = "/lab"
if os.getuid() == 0:  # JupyterLab runs as root only when told to
    c.Spawner.args = ["--allow-root"]
# A busy machine starts JupyterLab slowly.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180

# Keep this with any spawner: every server reads nbgrader's exchange settings
# (nbgrader_config.py here) and the students' lab (student-lab/: the
# Assignments tab and Validate, no instructor tools).
c.Spawner.environment = {
    "JUPYTER_CONFIG_PATH": os.pathsep.join([str(here / "student-lab"), str(here)]),
    **{
        name: os.environ[name]
        for name in ("NNCOURSE_EXCHANGE", "NNCOURSE_DATA")
        if name in os.environ
    },
}
