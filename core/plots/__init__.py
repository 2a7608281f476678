"""Plotly figure builders, one module per feature (architectures, data, finetune ...).

Each builder takes plain data (dicts, lists, arrays) plus ``lang`` and returns a
``plotly.graph_objects.Figure``; pages only call ``st.plotly_chart(fig)``.
"""
