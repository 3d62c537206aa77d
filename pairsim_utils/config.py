"""The one place where the training configuration lives.

:class:`TrainingConfig` holds the seed model card's hyperparameters (``data/seed_card/model_card.md``).
Notebooks display it and the trainer reads it; nobody retypes these numbers.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

LOSSES = ("CosineSimilarityLoss", "CoSENTLoss", "AnglELoss")
"""The sentence-transformers losses a run can train with (notebook 7 compares them)."""

ADDED_SETTINGS = ("lora_rank", "replay_ratio")
"""Settings added after the first runs were trained: a run's fingerprint names them only when they differ
from their default, so that runs trained before they existed are still recognised."""


class ConfigError(ValueError):
    """A configuration file or mapping that cannot become a :class:`TrainingConfig`."""


def checked_value(name: str, value: Any, annotation: Any) -> Any:
    """Check a setting against its type annotation, whatever the annotation (``int``, ``float | None``…).

    Args:
        name: The setting, named in the error.
        value: Its value.
        annotation: The resolved annotation (``typing.get_type_hints``).

    Returns:
        The value; an ``int`` given for a ``float`` setting becomes a ``float``.

    Raises:
        ConfigError: When the value is none of the annotation's types (a bool is never a number).
    """
    union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    options = typing.get_args(annotation) if union else (annotation,)
    if value is None and type(None) in options:
        return value
    if isinstance(value, bool):
        if bool in options:
            return value
    elif isinstance(value, int) and float in options and int not in options:
        return float(value)
    elif any(isinstance(option, type) and isinstance(value, option) for option in options):
        return value
    expected = " or ".join(getattr(option, "__name__", str(option)) for option in options)
    raise ConfigError(f"{name}: expected {expected}, got {value!r} ({type(value).__name__})")


@dataclass(frozen=True)
class TrainingConfig:
    """Hyperparameters of the seed fine-tuning run (the defaults are the seed card's).

    Attributes:
        base_model: Hugging Face id of the model that is fine-tuned.
        max_seq_length: Longest input, in tokens, the encoder accepts.
        train_batch_size: Pairs per training step (``per_device_train_batch_size``).
        eval_batch_size: Pairs per evaluation step (``per_device_eval_batch_size``).
        num_epochs: Passes over the training split.
        learning_rate: Peak learning rate of the schedule.
        lr_scheduler: Learning-rate schedule (``lr_scheduler_type``).
        warmup_ratio: Fraction of steps spent warming up.
        weight_decay: Decoupled weight decay of AdamW.
        adam_beta1: AdamW's first-moment decay.
        adam_beta2: AdamW's second-moment decay.
        adam_epsilon: AdamW's epsilon.
        max_grad_norm: Gradient-norm clipping threshold.
        optimizer: The Trainer's ``optim`` name. The card used ``adamw_torch``; the fused
            implementation runs the same algorithm, faster.
        seed: Random seed for weights' data order and dropout.
        loss: Name of the sentence-transformers loss, one of :data:`LOSSES`.
        loss_fct: ``CosineSimilarityLoss``'s inner criterion, as the card writes it.
        logging_steps: Log the training loss every this many steps.
        lora_rank: Train low-rank adapters of this rank (LoRA) instead of every weight; ``None`` trains
            every weight, as the card did.
        replay_ratio: General word pairs, scored by the frozen base model, added per training pair
            (``0.25`` adds one for every four); 0 adds none, as the card did.
    """

    base_model: str = "sentence-transformers/all-MiniLM-L6-v2"
    max_seq_length: int = 256
    train_batch_size: int = 10
    eval_batch_size: int = 10
    num_epochs: int = field(default=5, metadata={"aliases": ["--epochs"]})
    learning_rate: float = 5e-5
    lr_scheduler: str = "linear"
    warmup_ratio: float = 0.0
    weight_decay: float = 0.0
    adam_beta1: float = 0.9
    adam_beta2: float = 0.999
    adam_epsilon: float = 1e-8
    max_grad_norm: float = 1.0
    optimizer: str = "adamw_torch_fused"
    seed: int = 42
    loss: str = field(default="CosineSimilarityLoss", metadata={"choices": list(LOSSES)})
    loss_fct: str = "torch.nn.modules.loss.MSELoss"
    logging_steps: int = 10
    lora_rank: int | None = None
    replay_ratio: float = 0.0

    def __post_init__(self) -> None:
        hints = typing.get_type_hints(type(self))
        for setting in fields(self):
            object.__setattr__(self, setting.name, checked_value(setting.name, getattr(self, setting.name),
                                                                 hints[setting.name]))
        for name in ("max_seq_length", "train_batch_size", "eval_batch_size", "num_epochs",
                     "logging_steps"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name}: must be at least 1, got {getattr(self, name)}")
        if not self.learning_rate > 0:
            raise ConfigError(f"learning_rate: must be positive, got {self.learning_rate}")
        if not 0.0 <= self.warmup_ratio < 1.0:
            raise ConfigError(f"warmup_ratio: must be in [0, 1), got {self.warmup_ratio}")
        if self.loss not in LOSSES:
            raise ConfigError(f"loss: must be one of {', '.join(LOSSES)}, got {self.loss!r}")
        if self.lora_rank is not None and self.lora_rank < 1:
            raise ConfigError(f"lora_rank: must be at least 1 (or None), got {self.lora_rank}")
        if not 0.0 <= self.replay_ratio <= 1.0:
            raise ConfigError(f"replay_ratio: must be in [0, 1], got {self.replay_ratio}")

    def to_dict(self) -> dict[str, Any]:
        """The configuration as a plain ``{field: value}`` dict, in field order."""
        return dataclasses.asdict(self)

    def fingerprint_dict(self) -> dict[str, Any]:
        """The settings that identify a run: :meth:`to_dict` without :data:`ADDED_SETTINGS` at their default."""
        defaults = {setting.name: setting.default for setting in fields(self)}
        return {name: value for name, value in self.to_dict().items()
                if name not in ADDED_SETTINGS or value != defaults[name]}

    @classmethod
    def from_dict(cls, values: dict[str, Any], source: str = "configuration") -> TrainingConfig:
        """Build a configuration, starting from the seed defaults.

        Args:
            values: Fields to set; fields left out keep the seed card's value.
            source: What the values came from, named in error messages.

        Returns:
            The configuration.

        Raises:
            ConfigError: For a key that is not a field, or a value of the wrong type.
        """
        if not isinstance(values, dict):
            raise ConfigError(f"{source}: expected a mapping of settings, got {type(values).__name__}")
        known = [setting.name for setting in fields(cls)]
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ConfigError(
                f"{source}: unknown setting(s) {', '.join(map(repr, unknown))}; "
                f"valid settings are: {', '.join(known)}"
            )
        try:
            return cls(**values)
        except ConfigError as error:
            raise ConfigError(f"{source}: {error}") from None

    def replace(self, **changes: Any) -> TrainingConfig:
        """A copy with ``changes`` applied (the configuration itself is frozen)."""
        return type(self).from_dict({**self.to_dict(), **changes}, source="replace()")

    def save(self, path: Path | str) -> Path:
        """Write the configuration as JSON or YAML, chosen by the file suffix.

        Args:
            path: Target file ending in ``.json``, ``.yaml`` or ``.yml``.

        Returns:
            The path written.
        """
        path = Path(path)
        if path.suffix == ".json":
            text = json.dumps(self.to_dict(), indent=2) + "\n"
        elif path.suffix in (".yaml", ".yml"):
            text = yaml.safe_dump(self.to_dict(), sort_keys=False)
        else:
            raise ConfigError(f"{path}: use a .json, .yaml or .yml file name")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: Path | str) -> TrainingConfig:
        """Read a configuration written by :meth:`save` (or by hand).

        Args:
            path: A ``.json``, ``.yaml`` or ``.yml`` file.

        Returns:
            The configuration; settings the file leaves out keep the seed card's value.
        """
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"{path}: no such configuration file")
        text = path.read_text(encoding="utf-8")
        try:
            values = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError) as error:
            raise ConfigError(f"{path}: not valid {path.suffix.lstrip('.').upper()}: {error}") from None
        return cls.from_dict(values or {}, source=str(path))

    def to_frame(self) -> pd.DataFrame:
        """A one-column table (setting -> value) for display in a notebook."""
        frame = pd.DataFrame({"value": [repr(v) if isinstance(v, str) or v is None else v
                                        for v in self.to_dict().values()]},
                             index=pd.Index(list(self.to_dict()), name="setting"))
        return frame.astype(str)


SEED_CONFIG = TrainingConfig()
"""The seed card's configuration (all defaults)."""


# Our setting -> the seed card's name for it (its "All Hyperparameters" list).
CARD_NAMES = {
    "train_batch_size": "per_device_train_batch_size",
    "eval_batch_size": "per_device_eval_batch_size",
    "num_epochs": "num_train_epochs",
    "learning_rate": "learning_rate",
    "lr_scheduler": "lr_scheduler_type",
    "warmup_ratio": "warmup_ratio",
    "weight_decay": "weight_decay",
    "adam_beta1": "adam_beta1",
    "adam_beta2": "adam_beta2",
    "adam_epsilon": "adam_epsilon",
    "max_grad_norm": "max_grad_norm",
    "optimizer": "optim",
    "seed": "seed",
}


def changed_settings(config: TrainingConfig, reference: TrainingConfig = SEED_CONFIG) -> dict[str, tuple[Any, Any]]:
    """Setting -> ``(ours, reference)`` for every setting where ``config`` differs from the seed configuration."""
    names = [setting.name for setting in fields(TrainingConfig)]
    return {name: (getattr(config, name), getattr(reference, name))
            for name in names if getattr(config, name) != getattr(reference, name)}


def compare_with_card(config: TrainingConfig, card_hyperparameters: dict[str, str],
                      precision: str = "fp32") -> pd.DataFrame:
    """Put a configuration next to the seed card's hyperparameters.

    Args:
        config: The configuration to compare.
        card_hyperparameters: ``SeedCard.hyperparameters``.
        precision: The precision training will use (``DeviceChoice.precision``: ``fp32``, ``bf16`` or
            ``fp16``); the card's comes from its ``bf16`` and ``fp16`` flags.

    Returns:
        One row per setting: our name, the card's name, both values and whether they agree
        (numbers compared as numbers).
    """
    rows = []
    for name, card_name in CARD_NAMES.items():
        ours, theirs = getattr(config, name), card_hyperparameters.get(card_name, "")
        try:
            same = float(ours) == float(theirs)
        except ValueError:
            same = str(ours) == theirs
        rows.append({"setting": name, "card name": card_name, "ours": str(ours), "card": theirs, "same": same})
    card_precision = next((flag for flag in ("bf16", "fp16") if card_hyperparameters.get(flag) == "True"), "fp32")
    rows.append({"setting": "precision", "card name": "bf16, fp16", "ours": precision, "card": card_precision,
                 "same": precision == card_precision})
    return pd.DataFrame(rows).set_index("setting")
