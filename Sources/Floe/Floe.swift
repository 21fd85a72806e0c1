// The Delta Lake table format. See Spec/FORMAT.md.
