"""Stage 4, decide: compare a submission's claims with the truth and return verdicts."""
