"""The production web server: `giamngheo serve` (gunicorn) and the configuration it needs before Django starts.

Kept free of Django imports at package level: `giamngheo.server.secret_key` is read by the settings module and by
the command line before the settings exist.
"""
