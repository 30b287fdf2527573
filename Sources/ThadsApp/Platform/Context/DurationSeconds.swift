extension Duration {
    /// Seconds as a fraction, for progress lines and benchmark figures.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
