"""Long work off the request path: a jobs table, claimed by conditional UPDATE, with progress."""
