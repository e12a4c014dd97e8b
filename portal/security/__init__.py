"""The doors (issue 4, OWASP ASVS level 2): the second factor, throttled sign-in,
session limits, hashed API tokens and the security headers. Each module holds the
services of its part; the views are in ``portal.views.account``."""
