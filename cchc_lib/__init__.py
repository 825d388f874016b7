"""cchc: administrative-reform (CCHC) plans and monthly data into official reports."""

__version__ = "0.1.0"
