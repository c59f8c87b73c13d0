"""Partners: the collectivities, companies, associations and people who give or buy equipment."""
