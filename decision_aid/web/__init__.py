"""What the web blueprints share: the patient's session, saving, limits, errors, request ids."""
