"""One module per offline template; catalogue.TEMPLATE_MODULES lists them in order."""
