"""The calendar of the law: business days (CFF art. 12) and the filing deadline of each cuatrimestre."""
