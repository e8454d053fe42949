"""Cross-cutting pieces with no knowledge of the portal's apps: the user model, notifications,
private file storage, templated email and the worker heartbeat."""
