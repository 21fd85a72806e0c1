// The Delta Lake table format. See Spec/FORMAT.md.

/// The version of the Floe library.
public enum FloeVersion {
    /// The library version, written into `commitInfo.engineInfo` as `Floe/<version>`.
    public static let current = "0.1.0"
}
