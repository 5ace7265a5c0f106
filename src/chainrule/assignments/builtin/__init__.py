"""Built-in assignment specs, one YAML file per assignment id."""
