"""Stage 3, what is asked: assignment specs (YAML, validated by pydantic) and their worked solutions."""
