"""The HTTP edge: request limits (``guard``), the token buckets and load counters behind them
(``limits``), security headers (``headers``) and the uvicorn settings that bound what the app
never sees, slow or huge headers (``server``)."""
