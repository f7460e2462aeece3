"""``wg.linalg``: linear algebra under PyTorch's ``torch.linalg`` names, every function
differentiable in both modes and to any order."""

__all__: list[str] = []
