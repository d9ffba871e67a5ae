"""The Qt desktop interface. Reaches data only through coreform.services."""
