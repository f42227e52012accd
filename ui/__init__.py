"""Streamlit helpers shared by the pages: cached data, session state and the URL.
Domain logic stays in lib/; this package only wraps it for Streamlit."""
