"""qaimpact: turn social-care case-file audits into grades, learning and evidence of impact."""

__version__ = "0.1.0"
