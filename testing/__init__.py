"""Test support shared by every app's tests: factories, the seed loaded once,
form and page readers, threads for races, local services (S3, SMTP) on loopback."""
