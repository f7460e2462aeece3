"""``wg.nn.functional`` (conventionally imported as ``F``): PyTorch's stateless
neural-network functions, each differentiable in both modes and to any order."""

__all__: list[str] = []
