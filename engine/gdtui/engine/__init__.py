"""gdtui's training engine: PyTorch and numpy only; importing it never imports textual.

Import from the modules (gdtui.engine.training.trainer, gdtui.engine.data.dataset, ...): this package itself loads nothing, so
the app can paint its first frame before PyTorch has loaded.
"""
