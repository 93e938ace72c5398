namespace Harrier.Drivers.Tests.Oci;

/// <summary>The same conformance suite on runc (<c>--oci-runtime runc</c>), the driver's other runtime.</summary>
public sealed class RuncDriverConformanceTests : OciDriverConformanceTests
{
    protected override string Runtime => "runc";
}
