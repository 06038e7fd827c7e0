"""Real time: rooms of live sessions, their audiences, and the coalescing ticker."""
