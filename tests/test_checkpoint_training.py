"""save -> load -> identical predictions and identical continued training, optimizer state
included, for the digits MLP; a checkpoint of another shape gives a clear error."""

import numpy as np
import pytest

import wengert as wg
from wengert import nn, optim
from wengert.demo import mlp, split
from wengert.nn import functional as F
from wengert.utils.data import DataLoader

pytest.importorskip("safetensors")


def batches(n, seed):
    train_set, _ = split()
    loader = DataLoader(train_set, batch_size=64, shuffle=True, generator=seed)
    return [b for b, _ in zip(loader, range(n))]


def train(model, optimizer, scheduler, data):
    losses = []
    for x, y in data:
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        losses.append(loss.item())
    return losses


def fresh(seed):
    wg.manual_seed(seed)
    model = mlp()
    optimizer = optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2, amsgrad=True)
    return model, optimizer, optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5)


@pytest.mark.parametrize("kind", ["adamw", "sgd-momentum"])
def test_continued_training_after_a_reload_is_identical(tmp_path, kind):
    model, optimizer, scheduler = fresh(0)
    if kind == "sgd-momentum":
        optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
        scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5)
    first, then = batches(5, seed=1), batches(5, seed=2)
    train(model, optimizer, scheduler, first)
    path = tmp_path / "mlp.safetensors"
    wg.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
             "scheduler": scheduler.state_dict(), "step": 5}, path)

    # a different initialization, reloaded from the file
    model2, optimizer2, scheduler2 = fresh(123)
    if kind == "sgd-momentum":
        optimizer2 = optim.SGD(model2.parameters(), lr=0.05, momentum=0.9, nesterov=True)
        scheduler2 = optim.lr_scheduler.StepLR(optimizer2, step_size=3, gamma=0.5)
    checkpoint = wg.load(path)
    model2.load_state_dict(checkpoint["model"])
    optimizer2.load_state_dict(checkpoint["optimizer"])
    scheduler2.load_state_dict(checkpoint["scheduler"])
    assert checkpoint["step"] == 5

    x = wg.cat([b[0] for b in then])
    model.eval(), model2.eval()
    with wg.no_grad():
        np.testing.assert_array_equal(model2(x).numpy(), model(x).numpy())
    model.train(), model2.train()

    losses = train(model, optimizer, scheduler, then)
    losses2 = train(model2, optimizer2, scheduler2, then)
    assert losses2 == losses  # bit for bit
    for (name, p), p2 in zip(model.named_parameters(), model2.parameters()):
        np.testing.assert_array_equal(p2.detach().numpy(), p.detach().numpy(), err_msg=name)
    assert optimizer2.param_groups[0]["lr"] == optimizer.param_groups[0]["lr"] < 0.05
    for s, s2 in zip(optimizer.state_dict()["state"].values(),
                     optimizer2.state_dict()["state"].values()):
        assert s.keys() == s2.keys()
        for key in s:
            np.testing.assert_array_equal(np.asarray(s2[key]), np.asarray(s[key]))


def test_the_optimizer_state_matters():
    """Without the optimizer's state, continued training differs (the test above has teeth)."""
    model, optimizer, scheduler = fresh(0)
    train(model, optimizer, scheduler, batches(3, seed=1))
    model2, optimizer2, scheduler2 = fresh(5)
    model2.load_state_dict(model.state_dict())
    then = batches(2, seed=2)
    assert train(model2, optimizer2, scheduler2, then) != train(model, optimizer, scheduler, then)


def test_a_checkpoint_of_another_shape_is_a_clear_error(tmp_path):
    path = tmp_path / "wide.safetensors"
    wide = nn.Sequential(nn.Flatten(), nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 64),
                         nn.ReLU(), nn.Linear(64, 10))
    wg.save(wide.state_dict(), path)
    model = mlp()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    with pytest.raises(RuntimeError) as error:
        model.load_state_dict(wg.load(path))
    message = str(error.value)
    assert "load_state_dict of Sequential" in message
    assert "size mismatch for 1.weight: the checkpoint has shape (256, 64), the model (128, 64)" \
        in message
    assert "size mismatch for 3.weight" in message and "5.weight" not in message
    for k, v in model.state_dict().items():  # nothing was half-loaded
        np.testing.assert_array_equal(v.numpy(), before[k].numpy())


def test_a_checkpoint_of_another_model_names_the_keys(tmp_path):
    path = tmp_path / "cnn.safetensors"
    from wengert.demo import cnn

    wg.save({"model": cnn().state_dict()}, path)
    with pytest.raises(RuntimeError, match=r"missing keys: 5.weight, 5.bias; unexpected keys: "
                                           r"0.weight, 0.bias, 1.running_mean, .*size mismatch "
                                           r"for 1.weight: the checkpoint has shape \(16,\)"):
        mlp().load_state_dict(wg.load(path)["model"])
