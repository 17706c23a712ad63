"""Signing and filing an informativa with the e.firma, complementarias, acuses (PDF, sellos, folios) and
the public verification of an acuse."""
