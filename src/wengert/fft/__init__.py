"""``wg.fft``: discrete Fourier transforms under PyTorch's ``torch.fft`` names,
differentiable in both modes."""

__all__: list[str] = []
