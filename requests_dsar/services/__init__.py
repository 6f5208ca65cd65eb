"""Writes of the rights-request workflow, split by stage: ``intake`` (form, verification,
expiry), ``workflow`` (staff handling) and ``requests_dsar.fulfilment`` (one module per
right)."""
