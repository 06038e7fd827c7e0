"""Thin Litestar controllers: they translate HTTP/WebSocket to calls on the store and rooms."""
