"""The call's minimum qualifications, applied to each application."""
