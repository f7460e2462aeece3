"""A character-level LSTM language model, trained on a text file and then sampled.

The model reads a text one character at a time and learns to predict the next one:
an ``Embedding`` of the characters, an ``LSTM`` and a ``Linear`` readout to the
logits over the alphabet, trained with cross-entropy on random windows of the text
(truncated back-propagation through time), Adam and gradient clipping. After training,
it writes new text: feed a prompt, then repeatedly sample the next character from the
softmax (with a temperature) and feed it back, carrying the LSTM's state (h, c).

The default text is ``examples/data/fables.txt`` (generated, public domain: see
``examples/data/README.md``); ``--text`` takes any other UTF-8 file.

Run: ``python examples/char_lstm.py [--steps N] [--length N] [--quick]``.
"""

from __future__ import annotations

import argparse
import math
import pathlib
import time

import numpy as np

import wengert as wg
from wengert import nn, optim
from wengert.nn import functional as F

TEXT = pathlib.Path(__file__).with_name("data") / "fables.txt"


class CharLSTM(nn.Module):
    def __init__(self, vocab_size: int, embedding_dim: int = 32, hidden_size: int = 128,
                 num_layers: int = 1):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embedding_dim)
        self.lstm = nn.LSTM(embedding_dim, hidden_size, num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, codes, state=None):
        """Logits ``(batch, time, vocab)`` for the next character, and the new state."""
        out, state = self.lstm(self.embed(codes), state)
        return self.head(out), state


class Vocabulary:
    """The characters of a text, each with an integer code."""

    def __init__(self, text: str):
        self.chars = sorted(set(text))
        self.code = {c: i for i, c in enumerate(self.chars)}

    def encode(self, text: str) -> np.ndarray:
        return np.array([self.code[c] for c in text], dtype=np.int64)

    def decode(self, codes) -> str:
        return "".join(self.chars[i] for i in codes)


def batches(data: np.ndarray, seq_len: int, batch_size: int, rng: np.random.Generator):
    """Endless random windows: inputs ``data[i:i+T]`` and targets ``data[i+1:i+T+1]``."""
    while True:
        starts = rng.integers(0, len(data) - seq_len - 1, size=batch_size)
        window = starts[:, None] + np.arange(seq_len + 1)
        chunk = data[window]
        yield wg.as_tensor(chunk[:, :-1]), wg.as_tensor(chunk[:, 1:])


def sample(model: CharLSTM, vocab: Vocabulary, prompt: str, length: int,
           temperature: float = 0.8, seed: int = 0) -> str:
    """``length`` new characters after ``prompt``, drawn one at a time from the model."""
    rng = np.random.default_rng(seed)
    model.eval()
    out = []
    with wg.no_grad():
        logits, state = model(wg.as_tensor(vocab.encode(prompt)[None]))
        for _ in range(length):
            probs = F.softmax(logits[0, -1] / temperature, dim=-1).numpy().astype(np.float64)
            code = int(rng.choice(len(probs), p=probs / probs.sum()))
            out.append(code)
            logits, state = model(wg.tensor([[code]]), state)
    model.train()
    return vocab.decode(out)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--text", type=pathlib.Path, default=TEXT)
    parser.add_argument("--steps", type=int, default=300, help="training steps (default 300)")
    parser.add_argument("--seq-len", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--lr", type=float, default=5e-3)
    parser.add_argument("--length", type=int, default=300, help="characters to generate")
    parser.add_argument("--prompt", default="THE FOX AND THE ")
    parser.add_argument("--temperature", type=float, default=0.8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true",
                        help="a one-layer model, 30 short steps, 80 characters (for the tests)")
    if parser.parse_args(argv).quick:  # smaller defaults; explicit options still win
        parser.set_defaults(steps=30, seq_len=16, batch_size=16, hidden=32, layers=1, length=80)
    args = parser.parse_args(argv)

    text = args.text.read_text(encoding="utf-8")
    vocab = Vocabulary(text)
    data = vocab.encode(text)
    print(f"{args.text.name}: {len(text)} characters, {len(vocab.chars)} distinct")
    wg.manual_seed(args.seed)
    model = CharLSTM(len(vocab.chars), hidden_size=args.hidden, num_layers=args.layers)
    optimizer = optim.Adam(model.parameters(), lr=args.lr)
    scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.steps)
    windows = batches(data, args.seq_len, args.batch_size, np.random.default_rng(args.seed))

    losses, start = [], time.perf_counter()
    for step in range(1, args.steps + 1):
        inputs, targets = next(windows)
        logits, _ = model(inputs)
        loss = F.cross_entropy(logits.reshape(-1, len(vocab.chars)), targets.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        optimizer.step()
        scheduler.step()
        losses.append(loss.item())
        if step % max(1, args.steps // 10) == 0 or step == 1:
            print(f"step {step:4d}  loss {loss.item():.3f}  "
                  f"({time.perf_counter() - start:.0f} s)", flush=True)
    uniform = math.log(len(vocab.chars))
    print(f"loss {losses[0]:.3f} -> {losses[-1]:.3f} (a uniform guess: {uniform:.3f}) in "
          f"{time.perf_counter() - start:.1f} s")

    generated = sample(model, vocab, args.prompt, args.length, args.temperature, args.seed)
    print(f"\n--- sampled (temperature {args.temperature}) ---\n{args.prompt}{generated}")
    return {"losses": losses, "generated": generated, "uniform_loss": uniform,
            "vocab": vocab.chars}


if __name__ == "__main__":
    main()
