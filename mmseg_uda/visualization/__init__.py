from .debug_panel import draw_debug_panel, render_map

__all__ = ['draw_debug_panel', 'render_map']
