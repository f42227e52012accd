"""Domain code of the Aleppo map: load and validate geodata/, derive the state of
control at a date, buffer zones along the Syria-Turkey border, and their figures.

Nothing here imports Streamlit, and nothing is read at import time.
"""
