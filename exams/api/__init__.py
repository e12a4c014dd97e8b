"""The exams app in the API: each part declares its routes in its ``api`` module and
registers them (``portal.hooks.register_api_routes``) from its ``registry``."""
