"""Forms described once as data (coreform.forms.model) and the forms coreform fills in."""
