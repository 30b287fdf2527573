public enum ThadsDomainVersion { public static let name = "thads" }
