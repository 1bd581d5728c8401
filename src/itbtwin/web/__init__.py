"""The web face: `itbtwin serve`, the clinic's workspace in a browser (FastAPI, server-rendered
Jinja2 forms that work without JavaScript).

Routes call the same `store` and `clinic` functions as the CLI, inside one transaction per request
with their audit rows; this package holds no clinical logic. Layers: routes (`_routes_*`) →
dependencies (`_deps`) → `store`.
"""

from itbtwin.web._app import create_app as create_app
from itbtwin.web._settings import WebSettings as WebSettings
