"""netkern's Python-facing modules: ``netkern.socket``, the standard socket
interface over the emulated kernel (man/man3/netkern.socket.3)."""
