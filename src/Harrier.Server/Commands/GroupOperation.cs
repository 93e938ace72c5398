namespace Harrier.Server.Commands;

/// <summary>What a <see cref="DeployGroupCommand"/> does with its group.</summary>
public enum GroupOperation
{
    /// <summary>POST: the group must not exist yet (nor an app at its path); then as <see cref="Update"/>.</summary>
    Create,

    /// <summary>PUT: create or change the group's structure.</summary>
    Update,

    /// <summary>PUT <c>{"scaleBy":f}</c>: every transitive app's instances become ceil(instances × f).</summary>
    Scale,

    /// <summary>DELETE: the group, its apps and its child groups go (the root is emptied, not removed).</summary>
    Delete,
}
