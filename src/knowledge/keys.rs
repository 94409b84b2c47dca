//! The S3 configuration key catalogue from `rules/keys.yaml` (being written).
