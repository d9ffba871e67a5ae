"""Storage: one engine factory, typed tables, repositories, a unit of work and migrations."""
